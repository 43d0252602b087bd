// Yielding to the browser between parts of a long piece of work.

/** Resolves in a new task, after the browser has had the chance to render a frame. */
export function nextTask() {
  return new Promise((resolve) => {
    setTimeout(resolve, 0);
  });
}
