import { describe, expect, it } from "vitest";
import { findLink, type LinkValue, parseLinkHeader } from "../src/link.js";

const cases: Array<[string, { header: string; want: Array<Partial<LinkValue>> }]> = [
  [
    "one next link",
    {
      header: '<https://t.example/api/users?page=1>; rel="next"',
      want: [{ uri: "https://t.example/api/users?page=1", rel: ["next"] }],
    },
  ],
  [
    "an unquoted rel",
    { header: "</u?page=2>;rel=next", want: [{ uri: "/u?page=2", rel: ["next"] }] },
  ],
  [
    "several links, commas inside the URI and inside a quoted title",
    {
      header: '</a?x=1,2>; rel="prev", </b>; title="a, b; c"; rel="next last"',
      want: [
        { uri: "/a?x=1,2", rel: ["prev"] },
        { uri: "/b", rel: ["next", "last"], params: { title: "a, b; c", rel: "next last" } },
      ],
    },
  ],
  [
    "rel in any case, the first occurrence kept",
    { header: '</a>; REL="Next"; rel="prev"', want: [{ uri: "/a", rel: ["next"] }] },
  ],
  [
    "an escaped quote",
    {
      header: '</a>; title="say \\"hi\\""; rel=next',
      want: [{ params: { title: 'say "hi"', rel: "next" } }],
    },
  ],
  ["garbage before a link", { header: 'nonsense, </a>; rel="next"', want: [{ uri: "/a" }] }],
  ["an unterminated URI", { header: "</a; rel=next", want: [] }],
  ["an empty header", { header: "", want: [] }],
  [
    "a parameter named like an Object property",
    {
      header: "</a>; constructor=x; rel=next",
      want: [{ params: { constructor: "x", rel: "next" } }],
    },
  ],
];

describe("parseLinkHeader (RFC 8288)", () => {
  it.each(cases)("%s", (_name, { header, want }) => {
    const links = parseLinkHeader(header);
    expect(links).toHaveLength(want.length);
    for (const [i, expected] of want.entries()) expect(links[i]).toMatchObject(expected);
  });

  it("finds the next link", () => {
    expect(findLink('</p>; rel="prev", </n>; rel="next"')).toBe("/n");
    expect(findLink('</p>; rel="prev"')).toBeUndefined();
    expect(findLink(null)).toBeUndefined();
  });
});
