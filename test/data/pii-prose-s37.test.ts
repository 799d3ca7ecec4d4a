import { describe, expect, it } from "vitest";
import { nhsUnissued } from "../../src/data/pii/checksums.js";
import { found } from "./pii-eval.js";

describe("a 3-3-4 number in a range no UK scheme issues is an NHS number only beside an NHS word (session 37)", () => {
  it("knows the unissued ranges", () => {
    expect(nhsUnissued("555 208 7348")).toBe(true);
    expect(nhsUnissued("004 512 3780")).toBe(true);
    expect(nhsUnissued("943 476 5919")).toBe(false);
    expect(nhsUnissued("401 223 3440")).toBe(false);
    expect(nhsUnissued("010 100 0001")).toBe(false);
  });

  it.each([
    // US numbers of the 555 exchange that pass the NHS mod-11 check by chance.
    "text me at 555 867 5306 later",
    "Sure, my cell is 555-208-7348.",
    "Ref 004 512 3780 attached",
  ])("reports no NHS number in %j", (text) => {
    expect(found(text, "UK_NHS")).toEqual([]);
  });

  it.each([
    ["NHS number 5552087348", "5552087348"],
    ["NHS No. 500 123 4565", "500 123 4565"],
    ["NHS number: 943 476 5919", "943 476 5919"],
  ])("finds the NHS number in %j", (text, nhs) => {
    expect(found(text, "UK_NHS")).toEqual([nhs]);
  });
});

describe("Hill, Green and Brooks end a name after a given name (session 37)", () => {
  it.each([
    ["Attending Nurse: Lisa Green. Diagnosis: flu.", "Lisa Green"],
    ["I met Allison Hill yesterday.", "Allison Hill"],
    ["Please forward it to Anna Brooks today.", "Anna Brooks"],
  ])("finds the person in %j", (text, person) => {
    expect(found(text, "PERSON")).toEqual([person]);
  });

  it.each([
    // After a house number, a place word or a street word: a street or a district.
    "Ship to 077 Allison Hill, Apt 4",
    "They live on Jackson Hill.",
    "an apartment in Murray Hill",
    "Walk to Turnham Green station",
    "Forest Hill is a district.",
  ])("reports no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });
});

describe("chat speakers and the greeted: a given name that is also a word (session 37)", () => {
  it.each([
    ["[6:31 PM] Tom: Yes, I got the tickets.", "Tom"],
    ["[2:34 PM] Mike: Sure thing.", "Mike"],
    ["[12/03/2023, 10:15] Bob: ok", "Bob"],
    ["Hey Max! see you", "Max"],
    ["Thanks, Mark.", "Mark"],
  ])("finds the person in %j", (text, person) => {
    expect(found(text, "PERSON")).toEqual([person]);
  });

  it.each([
    // Roles and groups speak and are greeted too; a word no name list knows is no name.
    "[10:00 AM] Agent: How can I help?",
    "[10:01 AM] Customer: My order is late.",
    "[10:02 AM] Support: Checking now.",
    "Hi all, Hello World!",
    "Hi Team, update below.",
    "Thanks, Guys.",
  ])("reports no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });
});

describe("schools, colleges and academies are no persons (session 37)", () => {
  it.each(["School: Lincoln High School, Grade: 11.", "She studies at Jefferson College now.", "Enrolled at Madison Academy."])("reports no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it("still finds the student's name", () => {
    expect(found("Student Name: Emily Carter, School: Lincoln High School", "PERSON")).toEqual(["Emily Carter"]);
  });
});
