// Part 2 of 4 of the servers of test/judge.ts: broken, allowed by the spec and lenient.
import { judgeServers } from "./judge.js";

judgeServers(2, 4);
