/**
 * The status kubelet reports for a Pod whose one container, `app`, backs off pulling `image`
 * (ImagePullBackOff, kubelet's "Back-off pulling image" message; `error`, when given, is the pull error kubelet
 * appends after `: `). Written through the status subresource by the tests that play kubelet's part.
 */
export function imagePullBackOffStatus(image: string, error?: string): Record<string, unknown> {
  const message = `Back-off pulling image "${image}"${error === undefined ? "" : `: ${error}`}`;
  return {
    phase: "Pending",
    containerStatuses: [
      {
        name: "app",
        image,
        imageID: "",
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: "ImagePullBackOff", message } },
      },
    ],
  };
}
