/**
 * Elements that start a new line or cell where they are drawn, so the words on either side are separate
 * words. Every other element (b, i, sup, span, a, an unknown one) is inline: `650ft<sup>2</sup>` reads
 * "650ft2" and `<b>Bre</b>xit` "Brexit", as a browser shows them. Lower-case names.
 */
export const SEPARATING_ELEMENTS: ReadonlySet<string> = new Set(
  (
    'address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption ' +
    'figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe legend li main menu nav ol ' +
    'option p pre section summary table tbody td tfoot th thead title tr ul video audio'
  ).split(' '),
);

/** Longer than any name above, so a scanner need read a tag name no further. */
export const LONGEST_SEPARATING_NAME = 10;
