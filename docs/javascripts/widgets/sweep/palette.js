// Curve colours of the sweep: the Okabe–Ito palette (Okabe and Ito, "Color Universal
// Design", 2008), which stays distinguishable with the common colour-vision deficiencies.
// Its black is left out so every colour shows on Material's dark palette; yellow comes
// last because it is faint on white. Curves past the seventh repeat the colours dashed.

const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442'];

/** Returns the colour of curve `index`. */
export function curveColour(index) {
  return OKABE_ITO[index % OKABE_ITO.length];
}

/** Returns the SVG dash pattern of curve `index`: solid for the first seven. */
export function curveDash(index) {
  return index < OKABE_ITO.length ? null : '7 4';
}
