// The "Data set" drop-down that both widgets show.

/**
 * Creates a labelled select listing `datasets` ([{name, title}]) with `value` chosen.
 * `onChange(name)` is called when the reader picks another data set.
 * Returns `{element, select}`.
 */
export function createDatasetSelect(datasets, value, onChange) {
  const element = document.createElement('label');
  element.className = 'nd-field';
  element.innerHTML = '<span class="nd-field__label">Data set</span><select class="nd-field__select"></select>';
  const select = element.querySelector('select');
  for (const dataset of datasets) {
    select.append(new Option(dataset.title, dataset.name));
  }
  select.value = value;
  select.addEventListener('change', () => onChange(select.value));
  return { element, select };
}
