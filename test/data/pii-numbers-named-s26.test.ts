import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

describe("numbers named as something else are not phone numbers or IP addresses (session 26)", () => {
  it.each([
    ["Simply present account number 8400521536 to receive the promotional rate.", "8400521536"],
    ["Your participation is associated with Molly Li (Account Number: 8082292559).", "8082292559"],
    ["It's stored in my Janet Sanchez account with number 1786402097 - I'm so proud of it!", "1786402097"],
    ["Could you furnish me with the corresponding account number, 3760920483, to proceed?", "3760920483"],
    ["Bitte überweisen Sie auf Kontonummer 4155552671 bis Freitag.", "4155552671"],
  ])("an account number is not a phone number in %j", (text, value) => {
    expect(found(text, "PHONE_NUMBER")).not.toContain(value);
  });

  it.each([
    ["Call 4155552671 today to book.", "4155552671"],
    ["My phone number is 4155552671, call after six.", "4155552671"],
    // Printed like a phone number after the account: the named-account rule asks for bare digits.
    ["Account number on file; phone: 415-555-2671.", "415-555-2671"],
    ["Call me on 415-555-2671, account number 8400521536.", "415-555-2671"],
    ["The account manager's phone is 4155552671.", "4155552671"],
  ])("a phone number stays one in %j", (text, value) => {
    expect(found(text, "PHONE_NUMBER")).toContain(value);
  });

  it.each([
    ["We are hosting a workshop at our new office space at 76.922537, 120.168322. The team will be there.", "76.922537"],
    ["We are hosting a workshop at our new office space at 76.922537, 120.168322. The team will be there.", "120.168322"],
    ["Reach out to us at 54.562492, -80.916233 for a personalised consultation.", "54.562492"],
    ["Their home near 6.6420935, -161.575232 lacks a quiet space.", "6.6420935"],
  ])("a coordinate is not a phone number in %j", (text, value) => {
    expect(found(text, "PHONE_NUMBER")).not.toContain(value);
  });

  it.each([
    ["Tel. 0711.123456, Fax 0711.123457", "0711.123456"],
    ["Tel. 0711.123456, Fax 0711.123457", "0711.123457"],
    ["Call 555.123.4567, 555.987.6543 or write to us.", "555.123.4567"],
  ])("dotted phone numbers in a list stay phone numbers in %j", (text, value) => {
    expect(found(text, "PHONE_NUMBER")).toContain(value);
  });

  it.each([
    ["Access through your Mozilla/5.0 (X11; Linux x86_64; rv:1.9.5.20) Gecko/20100101 Firefox/3.6.4 browser.", "1.9.5.20"],
    ["user-agent Mozilla/5.0 (Windows NT 6.1; fy-DE; rv:1.9.1.20) Gecko/4161-03-02 Firefox/3.8", "1.9.1.20"],
  ])("a browser's revision is not an IP address in %j", (text, value) => {
    expect(found(text, "IP_ADDRESS")).not.toContain(value);
  });

  it.each([
    ["We've detected a new IP address 10.1.2.30 on your account.", "10.1.2.30"],
    ["The server at 172.16.4.20 (rev 2) is down.", "172.16.4.20"],
  ])("an IP address stays one in %j", (text, value) => {
    expect(found(text, "IP_ADDRESS")).toContain(value);
  });
});
