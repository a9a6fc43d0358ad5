import { IConstruct } from 'constructs';
import { ImageReference, isPinned, parseImageReference } from './grammar';
import { fail } from './validation';

export { ImageReference } from './grammar';

/** Parses an image reference; with `allowUnpinned` false, a missing tag or `latest` is an error. */
export function imageProp(scope: IConstruct, prop: string, image: string, allowUnpinned = false): ImageReference {
  const ref = parseImageReference(image)
    ?? fail(scope, prop, image, "must be an image reference such as 'registry.example.com/media-ai-api:1.4.2' or '…@sha256:<64 hex>'");
  if (!allowUnpinned && !isPinned(ref)) {
    fail(scope, prop, image, 'must be pinned to a version tag (not latest) or a digest; set allowUnpinnedImage: true to accept it for development');
  }
  return ref;
}

/** A short version string for the app.kubernetes.io/version label. */
export function imageVersion(ref: ImageReference): string {
  return ref.tag ?? ref.digest!.slice('sha256:'.length, 'sha256:'.length + 12);
}
