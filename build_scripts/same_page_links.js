// Written into every page's <head> by same_page_links.py, so that it runs before
// Material's script. Links to a place on the page being read (the table of contents, a
// heading's ¶ link, a search result on this page) are left to the browser, which scrolls
// there and records the history entry itself. Material's instant navigation would
// instead fetch the page again on the first such click of a visit and swap the copy in,
// because it compares a link only with the last address it navigated to. That mounts
// both widgets afresh and loses the sweep's results and a running Run. Back and Forward
// between such entries are kept from Material in the same way.
(() => {
  // Path and query of the page whose content is on screen.
  const pageOf = (url) => url.pathname + url.search;
  let shownPage = pageOf(location);

  const isOnShownPage = (url) => url.origin === location.origin && pageOf(url) === shownPage;

  // Material listens for clicks on the body, below the document, so this capturing
  // listener runs first. A link to another page of the site goes to Material, which shows
  // that page without reloading, so it becomes the page on screen.
  document.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!link || link.target) {
      return;
    }
    const url = new URL(link.href);
    if (url.hash && isOnShownPage(url)) {
      event.stopPropagation();
    } else if (url.origin === location.origin) {
      shownPage = pageOf(url);
    }
  }, true);

  // The browser fires popstate on the window for each such link and for Back and Forward.
  // There, Chromium 156 runs the listeners in the order they were added, capturing or not,
  // so this one, added before Material's, can keep an entry of this page from Material.
  addEventListener('popstate', (event) => {
    const url = new URL(location.href);
    if (!isOnShownPage(url)) {
      shownPage = pageOf(url);
      return;
    }
    event.stopImmediatePropagation();
    // After an instant page switch Material restores scroll positions itself ("manual"),
    // so the browser does not, and this does what Material would. The entry's state is
    // the offset Material recorded while the reader scrolled there. An entry without one
    // goes to its heading by a fragment link, so that the heading clears the fixed header.
    if (history.scrollRestoration !== 'manual') {
      return;
    }
    if (history.state !== null || !url.hash) {
      scrollTo(0, history.state?.y ?? 0);
    } else {
      const anchor = document.createElement('a');
      anchor.href = url.hash;
      history.scrollRestoration = 'auto';
      anchor.click();
      history.scrollRestoration = 'manual';
    }
  });
})();
