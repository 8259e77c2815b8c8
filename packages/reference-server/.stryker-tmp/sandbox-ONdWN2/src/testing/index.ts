// @ts-nocheck
// `@mgmtkit/reference-server/testing`: what tests of this server, and of what talks to it, need.
export { selfSignedCertificate, type TestCertificate } from "./certificate.js";
export * from "./postgres.js";
