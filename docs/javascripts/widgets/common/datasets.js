// The package's data sets as the widgets list them.

import { callPackage } from './runtime-client.js';

let listPromise = null;

/**
 * Returns `[{name, title, starts}]` for every data set in the package, with `starts` the
 * names of its start points, asked once per visit.
 */
export function loadDatasetList(runtime) {
  if (!listPromise) {
    listPromise = callPackage(runtime, 'list_datasets', {}).then((result) => result.datasets);
    listPromise.catch(() => {
      listPromise = null;
    });
  }
  return listPromise;
}
