// The package's data sets as the widgets list them.

import { callPackage } from './runtime-client.js';

/**
 * Names of the data sets in neuron_descent.datasets.DATASETS.
 * NOTE: web_api has no call that lists them, so a data set added to the package must
 * also be added here.
 */
export const DATASET_NAMES = ['two-point', 'sloped-line'];

let titlesPromise = null;

/**
 * Returns `[{name, title}]` for every data set, with titles from the package's
 * `describe` (asked once per visit, on a 2 × 2 grid because only the title is needed).
 */
export function loadDatasetList(runtime) {
  if (!titlesPromise) {
    titlesPromise = Promise.all(DATASET_NAMES.map(async (name) => {
      const result = await callPackage(runtime, 'describe', { dataset: name, grid_size: 2 });
      return { name, title: result.dataset.title };
    }));
    titlesPromise.catch(() => {
      titlesPromise = null;
    });
  }
  return titlesPromise;
}
