/**
 * `npm run art`: draws the game's pixel art (tiles, the prospector, particles) and writes it as PNG sprite sheets
 * to public/assets, and the tab icon to public/favicon.ico. Deterministic (a fixed-seed generator), so re-running it yields the same bytes; the PNGs are
 * committed and the client loads them at run time. No image library: a minimal PNG encoder over node:zlib.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const OUT = fileURLToPath(new URL("../public/assets", import.meta.url));
/** The favicon is served from the site's root (`/favicon.ico`), so it lives in public/ itself. */
const FAVICON = fileURLToPath(new URL("../public/favicon.ico", import.meta.url));
export const TILE = 16;

type RGBA = [number, number, number, number];

class Sheet {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 4);
  }
  set(x: number, y: number, c: RGBA): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    this.data.set(c, i);
  }
}

// ---- PNG encoding (RGBA, 8 bits, no interlace)
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}
export function encodePng(sheet: Sheet): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(sheet.width, 0);
  ihdr.writeUInt32BE(sheet.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((sheet.width * 4 + 1) * sheet.height);
  for (let y = 0; y < sheet.height; y++) {
    raw[y * (sheet.width * 4 + 1)] = 0; // filter: none
    raw.set(sheet.data.subarray(y * sheet.width * 4, (y + 1) * sheet.width * 4), y * (sheet.width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

// ---- a fixed-seed generator (xorshift32), so the art is the same on every run
let rng = 0x5eed1234;
function rand(): number {
  rng ^= rng << 13;
  rng ^= rng >>> 17;
  rng ^= rng << 5;
  return (rng >>> 0) / 0x100000000;
}

const hex = (h: string, a = 255): RGBA => [
  parseInt(h.slice(1, 3), 16),
  parseInt(h.slice(3, 5), 16),
  parseInt(h.slice(5, 7), 16),
  a,
];

/** Fills a tile with noise between colours of a palette. */
function noise(s: Sheet, ox: number, palette: RGBA[], weights: number[]): void {
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      let r = rand();
      let i = 0;
      while (i < weights.length - 1 && r > weights[i]!) {
        r -= weights[i]!;
        i++;
      }
      s.set(ox + x, y, palette[i]!);
    }
  }
}

/** Draws a picture given as rows of palette letters ('.' = leave as is). */
function picture(s: Sheet, ox: number, oy: number, rows: string[], palette: Record<string, RGBA>): void {
  rows.forEach((row, y) => {
    [...row].forEach((ch, x) => {
      const c = palette[ch];
      if (c !== undefined) s.set(ox + x, oy + y, c);
    });
  });
}

function cracks(s: Sheet, ox: number, level: number): void {
  const dark = hex("#1b1b22");
  const lines = [
    [
      [3, 2],
      [4, 3],
      [5, 4],
      [5, 5],
      [6, 6],
      [7, 6],
      [8, 7],
    ],
    [
      [12, 3],
      [11, 4],
      [11, 5],
      [10, 6],
      [9, 7],
      [9, 8],
      [8, 9],
      [7, 10],
      [7, 11],
      [6, 12],
      [10, 10],
      [11, 11],
      [12, 12],
    ],
  ];
  for (let l = 0; l < level && l < lines.length; l++) for (const [x, y] of lines[l]!) s.set(ox + x!, y!, dark);
}

const ROUND = [
  "....aaaaaaaa....",
  "..aabbbbbbbbaa..",
  ".abbbbbbbbbbbba.",
  ".abbcbbbbbbbbba.",
  "abbcbbbbbbbbbbba",
  "abbbbbbbbbbbbbba",
  "abbbbbbbbbbbbbda",
  "abbbbbbbbbbbbbda",
  "abbbbbbbbbbbbbda",
  "abbbbbbbbbbbbdda",
  "abbbbbbbbbbbbdda",
  ".abbbbbbbbbbdda.",
  ".abbbbbbbbbddda.",
  "..aadddddddddaa.",
  "....aaaaaaaaa...",
  "................",
];

/** Tile frames, in the order TILE_FRAME (game/client/src/game/art.ts) names them. */
function tiles(): Sheet {
  const s = new Sheet(TILE * 16, TILE);
  const dirtP = [hex("#7a4a25"), hex("#8b5a2b"), hex("#6a3d1c"), hex("#9c6b3a")];
  const dirtW = [0.45, 0.3, 0.15, 0.1];
  const rockP = [hex("#6d6f7a"), hex("#80838f"), hex("#5b5d66"), hex("#9a9daa")];
  const rockW = [0.45, 0.25, 0.2, 0.1];
  // 0 tunnel: dark, dug-out earth
  noise(s, 0, [hex("#2a1a10"), hex("#321f13"), hex("#24160d")], [0.6, 0.25, 0.15]);
  // 1 dirt
  noise(s, TILE * 1, dirtP, dirtW);
  // 2..4 rock with 0..2 cracks
  for (let k = 0; k < 3; k++) {
    noise(s, TILE * (2 + k), rockP, rockW);
    cracks(s, TILE * (2 + k), k);
  }
  // 5..6 boulder (round) on dirt, 6 cracked
  const boulderPal = { a: hex("#3b3a40"), b: hex("#8d8a84"), c: hex("#c9c5bb"), d: hex("#5f5c58") };
  for (let k = 0; k < 2; k++) {
    noise(s, TILE * (5 + k), [hex("#2a1a10"), hex("#321f13")], [0.7, 0.3]);
    picture(s, TILE * (5 + k), 0, ROUND, boulderPal);
    if (k === 1) cracks(s, TILE * (5 + k), 2);
  }
  // 7 bedrock
  noise(s, TILE * 7, [hex("#1c1c24"), hex("#2b2b36"), hex("#14141a"), hex("#3a3a48")], [0.4, 0.3, 0.2, 0.1]);
  for (let i = 0; i < TILE; i += 4) for (let j = 0; j < TILE; j++) s.set(TILE * 7 + ((j + i) % TILE), j, hex("#0c0c10"));
  // 8 gas pocket: dirt with a green glow
  noise(s, TILE * 8, dirtP, dirtW);
  picture(
    s,
    TILE * 8,
    0,
    [
      "................",
      "................",
      "......gggg......",
      "....gghhhhgg....",
      "...ghhhiihhhg...",
      "..ghhiiiiiihhg..",
      "..ghiiijjiiihg..",
      "..ghiijjjjiihg..",
      "..ghiijjjjiihg..",
      "..ghiiijjiiihg..",
      "..ghhiiiiiihhg..",
      "...ghhhiihhhg...",
      "....gghhhhgg....",
      "......gggg......",
      "................",
      "................",
    ],
    { g: hex("#4d6b2a"), h: hex("#6f9a35"), i: hex("#9bd14a"), j: hex("#d6ff7a") },
  );
  // 9 nugget, 10 ore, 11 big nugget, 12 gem, 13 canteen: treasure set in dirt
  const gold = { a: hex("#7a5200"), b: hex("#e0a80c"), c: hex("#ffd84a"), d: hex("#fff6b0") };
  noise(s, TILE * 9, dirtP, dirtW);
  picture(
    s,
    TILE * 9,
    0,
    ["", "", "", "", "", "......aaa.......", ".....abccba.....", "....abcddcba....", "....abccccba....", ".....abbbba.....", "......aaaa......"],
    gold,
  );
  noise(s, TILE * 10, rockP, rockW);
  for (const [x, y] of [
    [3, 3],
    [4, 3],
    [3, 4],
    [10, 5],
    [11, 5],
    [11, 6],
    [6, 10],
    [7, 10],
    [7, 11],
    [12, 11],
    [12, 12],
    [5, 7],
  ])
    picture(s, TILE * 10 + x!, y!, ["cd", "bc"], gold);
  noise(s, TILE * 11, dirtP, dirtW);
  picture(
    s,
    TILE * 11,
    0,
    [
      "",
      "",
      "",
      ".....aaaaa......",
      "....abcccbaa....",
      "...abccddccba...",
      "..abccdddcccba..",
      "..abcccddcccba..",
      "..abbcccccccba..",
      "...abbcccccba...",
      "....aabbbbaa....",
      "......aaaa......",
    ],
    gold,
  );
  noise(s, TILE * 12, dirtP, dirtW);
  picture(
    s,
    TILE * 12,
    0,
    [
      "",
      "",
      "......aaaa......",
      ".....abddba.....",
      "....abcddcba....",
      "...abccddccba...",
      "..abcccccccccba.",
      "...abcccccccba..",
      "....abcccccba...",
      ".....abcccba....",
      "......abcba.....",
      ".......aba......",
      "........a.......",
    ],
    { a: hex("#1a2a6e"), b: hex("#2f5bd6"), c: hex("#4fa8ff"), d: hex("#d8f4ff") },
  );
  noise(s, TILE * 13, dirtP, dirtW);
  picture(
    s,
    TILE * 13,
    0,
    [
      "",
      "......aa........",
      "......bb........",
      ".....abba.......",
      "....acccca......",
      "...acddddca.....",
      "...acdeedca.....",
      "...acdeedca.....",
      "...acddddca.....",
      "...acccccca.....",
      "....aaaaaa......",
    ],
    { a: hex("#2b2116"), b: hex("#b08a5a"), c: hex("#3f7f9e"), d: hex("#5cb0d6"), e: hex("#e9fbff") },
  );
  // 14 falling rock: a boulder on the tunnel with motion streaks
  noise(s, TILE * 14, [hex("#2a1a10"), hex("#321f13")], [0.7, 0.3]);
  picture(s, TILE * 14, 0, ROUND, { a: hex("#3b3a40"), b: hex("#a39e96"), c: hex("#e8e2d6"), d: hex("#6c6863") });
  // 15 sky above the surface
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      const t = y / TILE;
      s.set(TILE * 15 + x, y, [Math.round(90 + 60 * t), Math.round(150 + 40 * t), Math.round(220 - 20 * t), 255]);
    }
  }
  return s;
}

/** The prospector: frames 0-1 walking, 2-3 digging (pick up, pick down), 4 hurt. Faces right. */
function miner(): Sheet {
  const s = new Sheet(TILE * 5, TILE);
  const pal = {
    h: hex("#c8102e"), // helmet
    l: hex("#fff3a0"), // lamp
    k: hex("#f1c27d"), // skin
    e: hex("#222222"),
    s: hex("#2d6cdf"), // shirt
    p: hex("#3a2a1a"), // trousers
    b: hex("#1a1a1a"), // boots
    w: hex("#8b5a2b"), // handle
    m: hex("#c0c6cc"), // pick head
  };
  const body = (legs: string[], arms: string[], tool: string[]): string[] => [
    ".....hhhhh......",
    "....hhhhhhhl....",
    "....hhhhhhhh....",
    ".....kkkkek.....",
    ".....kkkkkk.....",
    "......kkkk......",
    ...arms,
    "....ssssss......",
    "....ssssss......",
    ...legs,
    ...tool,
  ];
  const legsA = ["....pppppp......", "....pp..pp......", "....pp..pp......", "...bbb..bbb....."];
  const legsB = ["....pppppp......", "....pp...pp.....", "...pp....pp.....", "...bb....bbb...."];
  const armsWalk = ["....ssssss......", "...kssssssk.....", "....ssssss......"];
  const armsDig = ["....ssssssk.....", "....sssssskw....", "....ssssss.w....."];
  picture(s, 0, 0, body(legsA, armsWalk, []), pal);
  picture(s, TILE, 0, body(legsB, armsWalk, []), pal);
  picture(s, TILE * 2, 0, body(legsA, armsDig, []), pal);
  picture(s, TILE * 2 + 11, 3, ["mmm", ".w.", ".w."], pal);
  picture(s, TILE * 3, 0, body(legsA, armsDig, []), pal);
  picture(s, TILE * 3 + 12, 8, ["w..", "wmm", "m.."], pal);
  picture(s, TILE * 4, 0, body(legsA, armsWalk, []), { ...pal, s: hex("#ff5050"), k: hex("#ffb0b0") });
  return s;
}

/** Particles, 8x8 each: 0 dirt crumb, 1 gold spark, 2 gas puff, 3 dust, 4 star. */
function particles(): Sheet {
  const s = new Sheet(8 * 5, 8);
  picture(s, 0, 0, ["", "", "..ab....", ".abbc...", ".bbcc...", "..cc...."], {
    a: hex("#b07a48"),
    b: hex("#8b5a2b"),
    c: hex("#5e3a1a"),
  });
  picture(s, 8, 0, ["...a....", "...b....", ".abcba..", "...b....", "...a....", ""], {
    a: hex("#e0a80c"),
    b: hex("#ffd84a"),
    c: hex("#ffffff"),
  });
  picture(s, 16, 0, ["..aaaa..", ".abbbba.", "abbccbba", "abccccba", "abbccbba", ".abbbba.", "..aaaa.."], {
    a: hex("#6f9a35", 160),
    b: hex("#9bd14a", 200),
    c: hex("#d6ff7a", 230),
  });
  picture(s, 24, 0, ["", "..aa....", ".abba...", ".abba...", "..aa...."], { a: hex("#a89a8a", 150), b: hex("#d8ccbe", 200) });
  picture(s, 32, 0, ["...a....", "..aba...", "aabcbaa.", "..aba...", "...a....", ""], {
    a: hex("#ff7ad9"),
    b: hex("#ffc4f0"),
    c: hex("#ffffff"),
  });
  return s;
}

/** The tab icon: a gold nugget with a glint, 16x16 on a transparent ground. */
function icon(): Sheet {
  const s = new Sheet(TILE, TILE);
  picture(
    s,
    0,
    0,
    [
      "...........e....",
      "..........ede...",
      "...........e....",
      "....aaaaa.......",
      "...abcccbaa.....",
      "..abccddccbaa...",
      ".abccdddccccba..",
      ".abcccddcccccba.",
      "abbcccccccccccba",
      "abbccccccccccbba",
      "abbbcccccccccbba",
      ".abbbcccccccbba.",
      "..aabbbbbbbbbaa.",
      "....aaaaaaaaa...",
      "................",
      "................",
    ],
    { a: hex("#5a3c00"), b: hex("#c88a08"), c: hex("#ffcc2e"), d: hex("#fff6b0"), e: hex("#ffffff") },
  );
  return s;
}

/** `sheet` scaled up by a whole factor, pixels kept square and sharp. */
function scaled(sheet: Sheet, k: number): Sheet {
  const s = new Sheet(sheet.width * k, sheet.height * k);
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      const i = (Math.floor(y / k) * sheet.width + Math.floor(x / k)) * 4;
      s.set(x, y, [sheet.data[i]!, sheet.data[i + 1]!, sheet.data[i + 2]!, sheet.data[i + 3]!]);
    }
  }
  return s;
}

/** An .ico file holding PNG images (every browser reads PNG inside ICO): a 6-byte header, 16 bytes per image. */
export function encodeIco(sheets: Sheet[]): Buffer {
  const pngs = sheets.map(encodePng);
  const head = Buffer.alloc(6 + 16 * sheets.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2); // 1 = icon
  head.writeUInt16LE(sheets.length, 4);
  let offset = head.length;
  sheets.forEach((sheet, i) => {
    const e = 6 + 16 * i;
    head[e] = sheet.width >= 256 ? 0 : sheet.width;
    head[e + 1] = sheet.height >= 256 ? 0 : sheet.height;
    head[e + 2] = 0; // no palette
    head[e + 3] = 0;
    head.writeUInt16LE(1, e + 4); // planes
    head.writeUInt16LE(32, e + 6); // bits per pixel
    head.writeUInt32LE(pngs[i]!.length, e + 8);
    head.writeUInt32LE(offset, e + 12);
    offset += pngs[i]!.length;
  });
  return Buffer.concat([head, ...pngs]);
}

mkdirSync(OUT, { recursive: true });
for (const [name, sheet] of [
  ["tiles.png", tiles()],
  ["miner.png", miner()],
  ["particles.png", particles()],
] as const) {
  const file = join(OUT, name);
  writeFileSync(file, encodePng(sheet));
  console.log(`wrote ${file} (${sheet.width}x${sheet.height})`);
}
// Drawn last and without the generator: the sheets above keep their bytes.
const favicon = icon();
writeFileSync(FAVICON, encodeIco([favicon, scaled(favicon, 2), scaled(favicon, 3)]));
console.log(`wrote ${FAVICON} (16x16, 32x32, 48x48)`);
