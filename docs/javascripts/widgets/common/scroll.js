// Bringing a widget into view, without animation for readers who ask for reduced motion.

/** Scrolls `element` to the top of the viewport. */
export function scrollToWidget(element) {
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  element.scrollIntoView({ behavior: reduceMotion ? 'auto' : 'smooth', block: 'start' });
}
