/**
 * Which way an arrow key moves between items laid out in a row (tabs, toolbars): +1 for the next
 * item, -1 for the previous, 0 for any other key. In a right-to-left page the next item sits to
 * the left, so ArrowLeft moves forward there (WAI-ARIA: arrows follow the visual order). The
 * direction is read from the element itself, so a left-to-right island (a chart) keeps its own.
 */
export function arrowStep(key: string, element: Element): 1 | -1 | 0 {
  if (key !== 'ArrowLeft' && key !== 'ArrowRight') return 0;
  const rtl = getComputedStyle(element).direction === 'rtl';
  const forward = rtl ? 'ArrowLeft' : 'ArrowRight';
  return key === forward ? 1 : -1;
}
