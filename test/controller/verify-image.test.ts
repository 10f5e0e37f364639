// verify.image: the candidate must be able to pull a configured image, checked with the kubelet keychain and a
// manifest HEAD on the real registry (skopeo pushed the image). Until the image exists, nothing is written and
// the reason is the registry's answer; once it is pushed, the next attempt (backoff) writes the credential.
import { join } from "node:path";
import { expect, it } from "vitest";
import { waitUntil } from "../support/net.js";
import { buildImage } from "../support/oci-image.js";
import { makeScratchDir } from "../support/scratch.js";
import { pushImageOrThrow } from "../support/skopeo.js";
import {
  condition,
  createBinding,
  createCredential,
  getCustom,
  storedAuths,
  useControllerWorld,
} from "./harness.js";

const USER = { username: "robot", password: "image-Canary-1" };

const { api, world } = useControllerWorld({ namespaces: ["team-a"], user: USER });

it("writes nothing until the configured image can be pulled with the candidate, then writes it", async () => {
  const image = `${world.registry.host}/apps/web:1.0`;
  await createCredential(api, "registry", {
    source: { static: { secretRef: { name: "registry-login" } } },
    verify: { image },
  });
  await createBinding(api, "apps", {
    credentials: ["registry"],
    secretName: "registry-pull",
    namespaces: { names: ["team-a"] },
  });
  await world.start();
  const describe = () => world.logTail(10);
  await waitUntil(
    "Verified=False",
    async () =>
      condition(await getCustom(api, "clusterpullcredentials", "registry"), "Verified")?.status === "False",
    { timeoutMs: 30_000, describe },
  );
  expect(condition(await getCustom(api, "clusterpullcredentials", "registry"), "Verified")?.message).toMatch(
    /: not-found: /,
  );
  expect(await storedAuths(api, "team-a", "registry-pull")).toBeUndefined();

  const layout = buildImage(join(makeScratchDir("verify-image"), "web"), { tag: "1.0" });
  await pushImageOrThrow(layout.ref, image, { creds: USER, certDir: world.registry.certDir });
  await waitUntil(
    "written after the image exists",
    async () => (await storedAuths(api, "team-a", "registry-pull")) !== undefined,
    { timeoutMs: 60_000, describe },
  );
  const cred = await getCustom(api, "clusterpullcredentials", "registry");
  expect(condition(cred, "Verified")).toMatchObject({ status: "True" });
  expect(condition(cred, "Ready")).toMatchObject({ status: "True" });
}, 120_000);
