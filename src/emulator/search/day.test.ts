import { describe, expect, it } from "vitest";
import { dayBounds, dayStart, nextDayStart } from "./day.js";
import { dayRange } from "./predicate.js";

const utc = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h, min) / 1000;
const JAN_1_2020_9AM_UTC = 1_577_869_200;
const JAN_1_2020_UTC = 1_577_836_800;

describe("day arithmetic in a time zone", () => {
  it("follows the description's UTC example: > 9:00 Jan 1 starts Jan 2, = midnight covers Jan 1", () => {
    expect(dayStart(JAN_1_2020_9AM_UTC, "UTC")).toBe(JAN_1_2020_UTC);
    expect(dayRange(">", JAN_1_2020_9AM_UTC, "UTC")).toEqual({ from: utc(2020, 1, 2), to: Number.POSITIVE_INFINITY });
    expect(dayRange("=", JAN_1_2020_UTC, "UTC")).toEqual({ from: JAN_1_2020_UTC, to: utc(2020, 1, 2) });
    expect(dayRange("<", JAN_1_2020_9AM_UTC, "UTC")).toEqual({ from: Number.NEGATIVE_INFINITY, to: JAN_1_2020_UTC });
  });

  it.each([
    // zone, an instant on 2020-01-01 local, that local day's start and end in UTC
    ["America/New_York", JAN_1_2020_9AM_UTC, utc(2020, 1, 1, 5), utc(2020, 1, 2, 5)], // −05:00
    ["Asia/Kolkata", JAN_1_2020_9AM_UTC, utc(2019, 12, 31, 18, 30), utc(2020, 1, 1, 18, 30)], // +05:30
    ["Asia/Kathmandu", JAN_1_2020_9AM_UTC, utc(2019, 12, 31, 18, 15), utc(2020, 1, 1, 18, 15)], // +05:45
    ["Pacific/Auckland", JAN_1_2020_9AM_UTC, utc(2019, 12, 31, 11), utc(2020, 1, 1, 11)], // +13:00 (NZDT)
    ["Pacific/Kiritimati", JAN_1_2020_9AM_UTC, utc(2019, 12, 31, 10), utc(2020, 1, 1, 10)], // +14:00
    ["Pacific/Pago_Pago", utc(2020, 1, 1, 12), utc(2020, 1, 1, 11), utc(2020, 1, 2, 11)], // −11:00
  ])("puts the day boundaries of %s on its own midnights", (zone, at, start, end) => {
    expect(dayBounds(at, zone)).toEqual({ start, end });
    expect(dayRange(">", at, zone).from).toBe(end);
    expect(dayRange("<", at, zone).to).toBe(start);
  });

  it("reads the same instant as different days in far-apart zones", () => {
    // 2020-01-01T11:30Z is Jan 2 00:30 in Auckland but still Jan 1 in New York.
    const t = utc(2020, 1, 1, 11, 30);
    expect(dayStart(t, "Pacific/Auckland")).toBe(utc(2020, 1, 1, 11));
    expect(dayStart(t, "America/New_York")).toBe(utc(2020, 1, 1, 5));
    expect(dayStart(utc(2020, 1, 1, 10, 30), "Pacific/Kiritimati")).toBe(utc(2020, 1, 1, 10));
  });

  it("gives DST days 23 and 25 hours (America/New_York, 2024)", () => {
    const spring = dayBounds(utc(2024, 3, 10, 12), "America/New_York");
    expect(spring).toEqual({ start: utc(2024, 3, 10, 5), end: utc(2024, 3, 11, 4) });
    expect((spring.end - spring.start) / 3600).toBe(23);
    const autumn = dayBounds(utc(2024, 11, 3, 12), "America/New_York");
    expect(autumn).toEqual({ start: utc(2024, 11, 3, 4), end: utc(2024, 11, 4, 5) });
    expect((autumn.end - autumn.start) / 3600).toBe(25);
  });

  it("handles southern-hemisphere DST at +13 (Pacific/Auckland, April 2024 fall-back)", () => {
    // NZ leaves DST on 2024-04-07 at 03:00 NZDT: that day lasts 25 hours.
    const day = dayBounds(utc(2024, 4, 7, 0), "Pacific/Auckland");
    expect(day).toEqual({ start: utc(2024, 4, 6, 11), end: utc(2024, 4, 7, 12) });
  });

  it("starts a day at 01:00 when the zone skips midnight (America/Sao_Paulo, 2018-11-04)", () => {
    // Clocks jumped from 00:00 to 01:00 (−03:00 → −02:00): the day starts at 03:00Z, lasts 23 hours.
    const day = dayBounds(utc(2018, 11, 4, 12), "America/Sao_Paulo");
    expect(day).toEqual({ start: utc(2018, 11, 4, 3), end: utc(2018, 11, 5, 2) });
    expect(nextDayStart(utc(2018, 11, 3, 12), "America/Sao_Paulo")).toBe(utc(2018, 11, 4, 3));
  });

  it("uses the second midnight when clocks fall back from midnight (America/Sao_Paulo, 2019-02-17)", () => {
    // At 00:00 −02:00 clocks went back to 23:00 Feb 16: Feb 16 lasts 25 hours.
    expect(dayBounds(utc(2019, 2, 16, 12), "America/Sao_Paulo")).toEqual({ start: utc(2019, 2, 16, 2), end: utc(2019, 2, 17, 3) });
  });

  it("skips a day a zone never had (Pacific/Apia, 2011-12-30)", () => {
    expect(nextDayStart(utc(2011, 12, 29, 12), "Pacific/Apia")).toBe(utc(2011, 12, 30, 10));
    expect(dayStart(utc(2011, 12, 30, 12), "Pacific/Apia")).toBe(utc(2011, 12, 30, 10));
  });

  it("rolls over months, years and leap days", () => {
    expect(nextDayStart(utc(2019, 12, 31, 23, 59), "UTC")).toBe(JAN_1_2020_UTC);
    expect(nextDayStart(utc(2020, 2, 28, 12), "UTC")).toBe(utc(2020, 2, 29));
    expect(nextDayStart(utc(2020, 2, 29, 12), "Asia/Kolkata")).toBe(utc(2020, 2, 29, 18, 30));
  });

  it("maps every hour of a year to a day that contains it (Europe/London, America/New_York, Pacific/Auckland)", () => {
    for (const zone of ["Europe/London", "America/New_York", "Pacific/Auckland"]) {
      for (let t = utc(2023, 1, 1); t < utc(2024, 1, 1); t += 3600 * 7) {
        const { start, end } = dayBounds(t, zone);
        expect(start <= t && t < end, `${zone} ${new Date(t * 1000).toISOString()}`).toBe(true);
        expect([23, 24, 25]).toContain((end - start) / 3600);
        expect(dayStart(end, zone)).toBe(end);
      }
    }
  });
});
