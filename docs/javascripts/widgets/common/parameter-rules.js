// Accepted ranges of the optimiser's settings, shared by both widgets.

/**
 * Accepted learning rates. The package accepts any finite η > 0; the widgets stop at 100
 * because every larger rate diverges at the first step on the chapter's data sets.
 */
export const LEARNING_RATE_RULE = { name: 'the learning rate η', min: 0, minExclusive: true, max: 100 };

/** Accepted momentum values, as the package checks them: 0 ≤ μ < 1. */
export const MOMENTUM_RULE = { name: 'the momentum μ', min: 0, max: 1, maxExclusive: true };
