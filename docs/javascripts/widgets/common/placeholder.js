// Keeping a widget placeholder's own content, such as a picture of the loss surface made
// at build time, visible until the live widget replaces it.

/** Moves the children of `element` into a new container, appends it and returns it. */
export function keepPlaceholderContent(element) {
  const container = document.createElement('div');
  container.className = 'nd-widget__static';
  container.append(...element.childNodes);
  element.append(container);
  return container;
}
