/**
 * Calendar-day arithmetic in an IANA time zone, with `Intl` only. Intercom's search matches
 * timestamps by day in the workspace's zone, so every date filter needs the instants where a
 * local day starts. Days may last 23 or 25 hours (DST), or start at 01:00 when a zone skips
 * midnight; offsets may be half-hours or +13/+14.
 */

/** The smallest timestamp (unix seconds) search accepts: 0001-01-01T00:00Z. */
export const MIN_TIMESTAMP = -62_135_596_800;
/** The largest timestamp (unix seconds) search accepts: 9999-12-31T23:59:59Z. */
export const MAX_TIMESTAMP = 253_402_300_799;

const DAY = 86_400;
const formatters = new Map<string, Intl.DateTimeFormat>();
/** Day starts already found, by zone and local date; `Intl` calls cost tens of microseconds. */
const starts = new Map<string, number>();
/** Entries each cache holds before it starts over. */
const MAX_CACHED = 10_000;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Unix seconds of a wall-clock reading taken as if it were UTC (years below 100 included). */
function wallSeconds(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime() / 1000;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** The local calendar date and wall-clock time of an instant. */
function localReading(ts: number, timeZone: string): LocalDate & { wall: number } {
  const parts = formatterFor(timeZone).formatToParts(new Date(ts * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  const era = parts.find((p) => p.type === "era")?.value;
  const rawYear = get("year");
  const year = era === "BC" || era === "B" ? 1 - rawYear : rawYear;
  const month = get("month");
  const day = get("day");
  return { year, month, day, wall: wallSeconds(year, month, day, get("hour"), get("minute"), get("second")) };
}

/** The zone's UTC offset (seconds east of UTC) at an instant. */
function offsetAt(ts: number, timeZone: string): number {
  return localReading(ts, timeZone).wall - Math.floor(ts);
}

/** The first instant of a local calendar date, cached. */
function startOfLocalDate(date: LocalDate, timeZone: string): number {
  const key = `${timeZone}|${date.year}-${date.month}-${date.day}`;
  const cached = starts.get(key);
  if (cached !== undefined) return cached;
  const start = findStartOfLocalDate(date, timeZone);
  if (starts.size >= MAX_CACHED) starts.clear();
  starts.set(key, start);
  return start;
}

/**
 * Offsets a day before and after bracket any DST change (zones change at most once in two days);
 * if both candidates read midnight (midnight repeated), the earlier wins; when midnight is skipped,
 * the day starts at the transition, found by bisection.
 */
function findStartOfLocalDate(date: LocalDate, timeZone: string): number {
  const wall = wallSeconds(date.year, date.month, date.day);
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const candidates = [wall - before, wall - after].filter((t) => localReading(t, timeZone).wall === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // Midnight does not exist that day: the day starts where the offset changes.
  let lo = Math.min(wall - before, wall - after);
  let hi = Math.max(wall - before, wall - after);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid, timeZone) === before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Local days already found, by zone and UTC day number: a UTC day overlaps at most a few local
 * days, so a lookup checks a short list instead of asking `Intl` again.
 */
const days = new Map<string, Array<{ start: number; end: number }>>();

/**
 * The local day containing `ts` as a half-open interval `[start, end)` of unix seconds.
 *
 * @example
 * dayBounds(1_710_072_000, "America/New_York"); // { start: 1710046800, end: 1710129600 } (23 hours)
 */
export function dayBounds(ts: number, timeZone: string): { start: number; end: number } {
  const key = `${timeZone}|${Math.floor(ts / DAY)}`;
  const known = days.get(key);
  const hit = known?.find((d) => ts >= d.start && ts < d.end);
  if (hit !== undefined) return { start: hit.start, end: hit.end };
  const local = localReading(ts, timeZone);
  // Date arithmetic on a UTC wall reading rolls months and years over for us.
  const next = new Date(wallSeconds(local.year, local.month, local.day) * 1000 + DAY * 1000);
  const day = {
    start: startOfLocalDate(local, timeZone),
    end: startOfLocalDate({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }, timeZone),
  };
  if (days.size >= MAX_CACHED) days.clear();
  if (known === undefined) days.set(key, [day]);
  else known.push(day);
  return { start: day.start, end: day.end };
}

/**
 * The start (unix seconds) of the local day containing `ts` in `timeZone`.
 *
 * @example
 * dayStart(1_577_869_200, "UTC"); // 1577836800 (2020-01-01T00:00Z)
 * dayStart(1_577_869_200, "Asia/Kolkata"); // 1577817000 (2020-01-01T00:00+05:30)
 */
export function dayStart(ts: number, timeZone: string): number {
  return dayBounds(ts, timeZone).start;
}

/**
 * The start (unix seconds) of the local day after the one containing `ts`.
 *
 * @example
 * nextDayStart(1_577_869_200, "UTC"); // 1577923200 (2020-01-02T00:00Z)
 */
export function nextDayStart(ts: number, timeZone: string): number {
  return dayBounds(ts, timeZone).end;
}
