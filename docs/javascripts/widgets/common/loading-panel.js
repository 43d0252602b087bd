// The panel a widget shows until the Python runtime is ready: progress while it loads,
// and on failure one sentence with a Retry button.

/**
 * Creates the panel inside `container`.
 * Returns `{showProgress(status), showFailure(message) -> Promise, remove()}`, where the
 * promise from showFailure resolves when the reader presses Retry.
 */
export function createLoadingPanel(container) {
  const panel = document.createElement('div');
  panel.className = 'nd-loading';
  panel.setAttribute('role', 'status');
  panel.innerHTML = `
    <p class="nd-loading__message">Starting Python in your browser…</p>
    <progress class="nd-loading__progress" max="1"></progress>
    <button type="button" class="md-button nd-loading__retry" hidden>Retry</button>`;
  container.append(panel);

  const message = panel.querySelector('.nd-loading__message');
  const progress = panel.querySelector('progress');
  const retry = panel.querySelector('button');

  return {
    showProgress(status) {
      panel.classList.remove('nd-loading--failed');
      retry.hidden = true;
      progress.hidden = false;
      message.textContent = status.message || 'Starting Python in your browser…';
      if (Number.isFinite(status.fraction)) {
        progress.value = status.fraction;
      } else {
        progress.removeAttribute('value');
      }
    },
    showFailure(text) {
      panel.classList.add('nd-loading--failed');
      message.textContent = text;
      progress.hidden = true;
      retry.hidden = false;
      return new Promise((resolve) => {
        retry.addEventListener('click', () => {
          retry.hidden = true;
          progress.hidden = false;
          progress.removeAttribute('value');
          message.textContent = 'Trying again…';
          resolve();
        }, { once: true });
      });
    },
    remove() {
      panel.remove();
    },
  };
}
