#!/usr/bin/env node
// Entry of the `pullwarden-credential-provider` executable that kubelet runs per image cache miss. Static imports
// stay minimal (no commander, no YAML, no SDK): the cloud sources load only when an ECR or ACR image asks.
import { startProviderExecutable } from "./executable.js";

// No top-level await: the bundle is CommonJS, which Node starts without its ES module loader.
startProviderExecutable();
