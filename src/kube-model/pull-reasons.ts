/**
 * The reasons kubelet gives when it cannot get a container's image: a container's `state.waiting.reason`
 * (pkg/kubelet/images/types.go, and the CRI's SignatureValidationFailed) and the reasons of the events it
 * records about pulls (pkg/kubelet/events/event.go).
 */

/** Every waiting reason that means "the image is not there and kubelet could not get it". */
export const IMAGE_PULL_WAITING_REASONS: ReadonlySet<string> = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "ErrImageNeverPull",
  "RegistryUnavailable",
  "SignatureValidationFailed",
  "ImageInspectError",
  // What early kubelets reported for a failed pull.
  "PullImageError",
]);

/**
 * Waiting reasons after a pull the registry answered or failed to answer: asking the registry again (with the
 * Pod's credentials, or after fixing them) tells why. InvalidImageName, ErrImageNeverPull and ImageInspectError
 * never reach a registry.
 */
export const REGISTRY_PULL_FAILURE_REASONS: ReadonlySet<string> = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "RegistryUnavailable",
  "PullImageError",
]);

/**
 * Waiting reasons of a pull that failed and that kubelet retries with back-off, with the credentials the Pod was
 * created with: a new Pod (with a pull secret it lacked) pulls afresh.
 */
export const PULL_RETRYING_REASONS: ReadonlySet<string> = new Set(["ErrImagePull", "ImagePullBackOff"]);

/** Reasons of the events kubelet records about image pulls (Normal: Pulling, Pulled; Warning: the rest). */
export const IMAGE_PULL_EVENT_REASONS: ReadonlySet<string> = new Set([
  "Pulling",
  "Pulled",
  "Failed",
  "BackOff",
  "InspectFailed",
  "ErrImageNeverPull",
  "FailedToRetrieveImagePullSecret",
]);
