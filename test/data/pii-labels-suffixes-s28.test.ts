import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

describe("an IPv6 address right after a label and a colon (session 28)", () => {
  it.each([
    ["SSN:121-19-9983 | IP:b3a1:b80f:d3ba:cc13:666d:7739:dfab:100b", "b3a1:b80f:d3ba:cc13:666d:7739:dfab:100b"],
    ["src:2001:db8::1 dst:2001:db8::2", "2001:db8::1"],
    ["IPv6:2001:db8::8a2e:370:7334 was blocked", "2001:db8::8a2e:370:7334"],
    ["host:fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a"],
  ])("is found in %j", (text, value) => {
    expect(found(text, "IP_ADDRESS")).toContain(value);
  });

  it.each([
    // A start inside an address (after one of its own hex groups) is still refused: the whole address is found.
    ["fe80::1:2:3 is the gateway", "1:2:3"],
    ["ab:2001:db8::1", "2001:db8::1"],
  ])("a piece of an address is not an address of its own in %j", (text, piece) => {
    expect(found(text, "IP_ADDRESS")).not.toContain(piece);
  });

  it.each([["mac:00:1a:2b:3c:4d:5e"], ["at:12:30:45 the job ran"], ["key:dead:beef"]])("no address in %j", (text) => {
    expect(found(text, "IP_ADDRESS")).toEqual([]);
  });
});

describe("more USPS street suffixes after a house number (session 28)", () => {
  it.each([
    ["Addr=077 Theresa Tunnel, Port Annahaven, CT 22396; Birth=29-04-1955", "077 Theresa Tunnel"],
    ["Ship to 12 Harbor Inlet, Dover DE 19901", "12 Harbor Inlet"],
    ["She moved to 4410 Miller Stravenue, Tucson AZ", "4410 Miller Stravenue"],
    ["Office: 88 Kent Parkways Suite 4, Reno NV", "88 Kent Parkways"],
    ["Send it to 7 Cooper Forge, Lake Mary FL", "7 Cooper Forge"],
  ])("is an address in %j", (text, value) => {
    expect(found(text, "STREET_ADDRESS").some((s) => s.startsWith(value))).toBe(true);
  });

  it.each([
    ["Top 10 Scenic Drives of 2024"],
    ["Day 3 Grand Canyon tour starts early"],
    ["Our 5 Favourite Songs This Fall"],
    ["Chapter 3 Secret Passage"],
    ["Apollo 11 Lunar Mission"],
    ["Week 2 Summer Camp photos"],
    ["2024-01-15 The Golden Gate Bridge is closed"],
  ])("no address in %j", (text) => {
    expect(found(text, "STREET_ADDRESS")).toEqual([]);
  });

  it("a surname that is also a suffix still names a person", () => {
    expect(found("Please ask Mary Forge about the invoice.", "PERSON").join(" ")).toContain("Mary");
    expect(found("Contact Tom Groves for the keys.", "PERSON").join(" ")).toContain("Tom");
  });
});
