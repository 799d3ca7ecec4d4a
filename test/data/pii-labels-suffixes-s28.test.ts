import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

// Session 28: an IPv6 address right after a label and a colon; more USPS street suffixes after a house number.
// [entity, text, value, found?]: a span of that entity starting with the value is (or is not) found; an empty
// value with false means nothing of that entity at all.
const CASES: Array<[string, string, string, boolean]> = [
  ["IP_ADDRESS", "SSN:121-19-9983 | IP:b3a1:b80f:d3ba:cc13:666d:7739:dfab:100b", "b3a1:b80f:d3ba:cc13:666d:7739:dfab:100b", true],
  ["IP_ADDRESS", "src:2001:db8::1 dst:2001:db8::2", "2001:db8::1", true],
  ["IP_ADDRESS", "IPv6:2001:db8::8a2e:370:7334 was blocked", "2001:db8::8a2e:370:7334", true],
  ["IP_ADDRESS", "host:fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a", true],
  ["STREET_ADDRESS", "Addr=077 Theresa Tunnel, Port Annahaven, CT 22396; Birth=29-04-1955", "077 Theresa Tunnel", true],
  ["STREET_ADDRESS", "Ship to 12 Harbor Inlet, Dover DE 19901", "12 Harbor Inlet", true],
  ["STREET_ADDRESS", "She moved to 4410 Miller Stravenue, Tucson AZ", "4410 Miller Stravenue", true],
  ["STREET_ADDRESS", "Office: 88 Kent Parkways Suite 4, Reno NV", "88 Kent Parkways", true],
  ["STREET_ADDRESS", "Send it to 7 Cooper Forge, Lake Mary FL", "7 Cooper Forge", true],
  // A surname that is also a suffix still names a person.
  ["PERSON", "Please ask Mary Forge about the invoice.", "Mary", true],
  ["PERSON", "Contact Tom Groves for the keys.", "Tom", true],
  // A start inside an address (after one of its own hex groups) is still refused.
  ["IP_ADDRESS", "fe80::1:2:3 is the gateway", "1:2:3", false],
  ["IP_ADDRESS", "ab:2001:db8::1", "2001:db8::1", false],
  ["IP_ADDRESS", "mac:00:1a:2b:3c:4d:5e", "", false],
  ["IP_ADDRESS", "at:12:30:45 the job ran", "", false],
  ["IP_ADDRESS", "key:dead:beef", "", false],
  ["STREET_ADDRESS", "Top 10 Scenic Drives of 2024", "", false],
  ["STREET_ADDRESS", "Day 3 Grand Canyon tour starts early", "", false],
  ["STREET_ADDRESS", "Our 5 Favourite Songs This Fall", "", false],
  ["STREET_ADDRESS", "Chapter 3 Secret Passage", "", false],
  ["STREET_ADDRESS", "Apollo 11 Lunar Mission", "", false],
  ["STREET_ADDRESS", "Week 2 Summer Camp photos", "", false],
  ["STREET_ADDRESS", "2024-01-15 The Golden Gate Bridge is closed", "", false],
];

describe("labels before IPv6 addresses and more street suffixes (session 28)", () => {
  it.each(CASES)("%s in %j: %j (%s)", (entity, text, value, expected) => {
    const spans = found(text, entity);
    if (value === "") expect(spans).toEqual([]);
    else expect(spans.some((s) => s.startsWith(value))).toBe(expected);
  });
});
