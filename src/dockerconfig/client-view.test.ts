import { describe, expect, it } from "vitest";
import { parseDockerConfigTextToView } from "./client-view.js";
import { parseDockerConfigText } from "./parse.js";

describe("parseDockerConfigTextToView", () => {
  it("exposes what the docker client sees: decoded auth, helpers", () => {
    const parsed = parseDockerConfigText(
      '{"auths":{"a.io":{"auth":"dTpw","email":"e"},"b.io":{"username":"x","password":"y"},"c.io":{},"d.io":{"auth":"OnA=","identitytoken":"t"}},"credsStore":"desktop","credHelpers":{"e.io":"ecr-login"}}',
      { source: "config.json" },
    );
    expect(parseDockerConfigTextToView(parsed)).toEqual({
      entries: [
        { key: "a.io", username: "u", password: "p", email: "e" },
        { key: "b.io", username: "x", password: "y" },
        { key: "c.io" },
        { key: "d.io", password: "p", identityToken: "t" },
      ],
      credsStore: "desktop",
      credHelpers: { "e.io": "ecr-login" },
    });
  });
});
