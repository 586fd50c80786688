import { describe, expect, it } from "vitest";
import { ipVersion, isPublicAddress, isPublicHost } from "./addresses";

describe("webhook addresses", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "[::1]",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "64:ff9b::a9fe:a9fe",
    "fd00::1",
    "fe80::1%eth0",
    "ff02::1",
    "2001:db8::1",
  ])("%s is not public", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(["8.8.8.8", "172.32.0.1", "100.128.0.1", "23.227.38.65", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "%s is public",
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it("tells addresses from names", () => {
    expect(ipVersion("10.0.0.1")).toBe(4);
    expect(ipVersion("[fd00::1]")).toBe(6);
    expect(ipVersion("erp.example.com")).toBeNull();
    expect(ipVersion("1.2.3")).toBeNull();
    expect(isPublicAddress("erp.example.com")).toBe(false);
  });

  it("refuses internal names and private addresses as hosts, and takes public ones", () => {
    for (const host of ["localhost", "api.localhost", "printer.local", "db.internal", "router.home.arpa", "10.0.0.5"]) {
      expect(isPublicHost(host)).toBe(false);
    }
    for (const host of ["erp.example.com", "hooks.zapier.com", "8.8.4.4", "[2606:4700::1111]"]) {
      expect(isPublicHost(host)).toBe(true);
    }
  });
});
