// Runs in the browser before the app. Zod 4 probes whether it may compile validators with
// `new Function`; the Content-Security-Policy (proxy.ts) has no 'unsafe-eval', so the browser
// refuses the probe and reports a policy violation even though zod catches it. Validating
// without compiled validators skips the probe; the forms' schemas are small.
import { z } from "zod";

z.config({ jitless: true });
