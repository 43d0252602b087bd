// Entry point of the chapter's widgets, run once per visit. Material for MkDocs swaps
// page content without reloading (instant navigation) and announces every new page on
// its `document$` observable. Each emission mounts the widgets of the new page and
// disposes of those whose elements left the page.

import { mountDescent } from './widgets/descent/index.js';
import { mountSweep } from './widgets/sweep/index.js';
import { handleTryClick } from './widgets/try-buttons.js';
import { nextTask } from './widgets/common/next-task.js';

const MOUNTERS = { descent: mountDescent, sweep: mountSweep };

/** Mounted widgets: `{element, widget}` with the `dispose()` handle of each. */
let mounted = [];

function disposeDetachedWidgets() {
  const detached = mounted.filter(({ element }) => !element.isConnected);
  detached.forEach(({ widget }) => widget.dispose());
  mounted = mounted.filter(({ element }) => element.isConnected);
}

// Each widget mounts in a task of its own, apart from the task that runs this module and
// DOMContentLoaded's handlers, so that no task grows long. The page shows the map's
// picture in the meantime. A widget whose element has left the page is skipped.
async function mountWidgets() {
  disposeDetachedWidgets();
  for (const element of document.querySelectorAll('[data-widget]')) {
    const mount = MOUNTERS[element.dataset.widget];
    if (!mount || element.dataset.mounted === 'true') {
      continue;
    }
    element.dataset.mounted = 'true';
    await nextTask();
    if (element.isConnected) {
      mounted.push({ element, widget: mount(element) });
    }
  }
}

// One delegated listener serves the try buttons of every page the reader visits.
document.addEventListener('click', handleTryClick);

// A module script runs once the document is parsed, so the first page's widgets start
// mounting without waiting for Material's first emission, which comes after
// DOMContentLoaded and then finds them mounted or marked as mounting.
if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', mountWidgets, { once: true });
} else {
  mountWidgets();
}
if (typeof window.document$?.subscribe === 'function') {
  window.document$.subscribe(mountWidgets);
}
