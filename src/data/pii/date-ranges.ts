/**
 * Dates and date ranges that a phone pattern takes for a number: "05/2023 - 05/2019", "03-06/2022",
 * "(07/63-12/63", "8.3. - 22.3.2025", "06/07.11.2024", "18.08.21 - 20.1.22", and a date with a number
 * after it ("02.07.2022 276"). Letters write them in therapy histories and stays; no phone number is
 * written as day and month numbers joined by dots or slashes.
 */

/** One date piece: day or month, then up to two more parts after "." or "/", a closing dot allowed. */
const PIECE = String.raw`\d{1,2}(?:[./]\d{1,2}){0,2}(?:[./]\d{4})?\.?`;
/** Pieces joined by range dashes, one full date (a bracket before it, a short number after it), or two days of one month ("06/07.11.2024"). */
const SHAPE = new RegExp(
  String.raw`^\(?(?:${PIECE}(?:[ \t]*[-–][ \t]*${PIECE})+(?:[ \t]+\d{1,4})?|\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\.?(?:[ \t]+\d{1,4})?|\d{1,2}\/\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2}))\)?$`,
);

/** Whether the numbers of one piece can be a date: "22.3.2025", "8.3.", "05/2023", "07/63", "06/07.11.2024". */
function pieceIsDate(piece: string): boolean {
  const parts = piece.replace(/\.$/, "").split(/[./]/).map(Number);
  if (parts.length === 1) return parts[0]! >= 1 && parts[0]! <= 31;
  if (parts.length === 2) {
    const [a, b] = parts as [number, number];
    // month/year ("05/2023", "07/63") or day.month ("05.11")
    return a >= 1 && ((b >= 1000 && a <= 12) || (b < 100 && (a <= 12 || (a <= 31 && b >= 1 && b <= 12))));
  }
  // day.month.year or day/day.month.year ("06/07.11.2024")
  const [a, b] = parts as [number, number];
  return a >= 1 && a <= 31 && b >= 1 && b <= 31 && parts.slice(1, -1).some((m) => m >= 1 && m <= 12);
}

/** Whether a phone candidate (at most a few dozen characters) is a date range or a date and a number. */
export function isDateRange(candidate: string): boolean {
  const s = candidate.trim();
  if (!/[./]/.test(s) || !SHAPE.test(s)) return false;
  const body = s.replace(/^\(|\)$/g, "").replace(/[ \t]+\d{1,4}$/, "");
  return body.split(/[ \t]*[-–][ \t]*/).every(pieceIsDate);
}
