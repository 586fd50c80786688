/**
 * Whether a webhook may be sent to an address: a merchant's URL must not make the app's server call its own network
 * (server-side request forgery: the cloud metadata service at 169.254.169.254, the database, an admin port on
 * localhost). Checked when a URL is subscribed (an address typed in it) and again before each delivery (the
 * addresses its name resolves to then, so a name later pointed inward is refused too).
 */

/** IPv4 ranges that are not the public internet (RFC 6890 and the multicast and reserved blocks). */
const PRIVATE_V4: ReadonlyArray<readonly [number, number]> = [
  [0x00000000, 8], // "this network"
  [0x0a000000, 8], // private
  [0x64400000, 10], // carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local, cloud metadata
  [0xac100000, 12], // private
  [0xc0000000, 24], // IETF protocol assignments
  [0xc0000200, 24], // documentation
  [0xc0a80000, 16], // private
  [0xc6120000, 15], // benchmarking
  [0xc6336400, 24], // documentation
  [0xcb007100, 24], // documentation
  [0xe0000000, 3], // multicast, reserved, broadcast (224.0.0.0 and up)
];

function parseV4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function v4IsPublic(value: number): boolean {
  return !PRIVATE_V4.some(
    ([base, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)),
  );
}

/** The eight 16-bit groups of an IPv6 address (with an embedded IPv4 tail), or null. */
function parseV6(text: string): number[] | null {
  let address = text.toLowerCase().replace(/%.*$/, "");
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (tail) {
    const v4 = parseV4(tail[1]);
    if (v4 === null) return null;
    address = `${address.slice(0, -tail[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (all.length !== 8 || !all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

function v6IsPublic(g: number[]): boolean {
  const embeddedV4 = g[6] * 65536 + g[7];
  if (g.slice(0, 6).every((x) => x === 0)) return false; // unspecified, loopback, IPv4-compatible
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return v4IsPublic(embeddedV4); // IPv4-mapped
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4IsPublic(embeddedV4); // NAT64
  if ((g[0] & 0xfe00) === 0xfc00) return false; // unique local
  if ((g[0] & 0xffc0) === 0xfe80) return false; // link-local
  if ((g[0] & 0xff00) === 0xff00) return false; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return false; // documentation
  return true;
}

/** An IP address (v4, or v6 with or without brackets), or null for a host name. */
export function ipVersion(host: string): 4 | 6 | null {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  if (parseV4(bare) !== null) return 4;
  if (bare.includes(":") && parseV6(bare) !== null) return 6;
  return null;
}

/** Whether an IP address is on the public internet. A text that is not an address is not. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, "$1");
  const v4 = parseV4(bare);
  if (v4 !== null) return v4IsPublic(v4);
  const v6 = bare.includes(":") ? parseV6(bare) : null;
  return v6 !== null && v6IsPublic(v6);
}

/** Names that mean this machine or a private network, whatever a resolver says. */
const INTERNAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/** Whether a URL's host may be subscribed: a public address, or a name that is not an internal one. */
export function isPublicHost(host: string): boolean {
  const name = host.replace(/\.$/, "");
  if (ipVersion(name) !== null) return isPublicAddress(name);
  return !INTERNAL_NAME.test(name);
}
