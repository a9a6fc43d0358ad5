import { IConstruct } from 'constructs';
import { fail } from './validation';

export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const IMAGE = /^((?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** Parses an image reference; with `allowUnpinned` false, a missing tag or `latest` is an error. */
export function imageProp(scope: IConstruct, prop: string, image: string, allowUnpinned = false): ImageReference {
  const m = typeof image === 'string' ? IMAGE.exec(image) : null;
  if (!m) fail(scope, prop, image, "must be an image reference such as 'registry.example.com/media-ai-api:1.4.2' or '…@sha256:<64 hex>'");
  const ref: ImageReference = { repository: m[1], tag: m[2], digest: m[3] };
  if (!allowUnpinned && !ref.digest && (!ref.tag || ref.tag === 'latest')) {
    fail(scope, prop, image, 'must be pinned to a version tag (not latest) or a digest; set allowUnpinnedImage: true to accept it for development');
  }
  return ref;
}

/** A short version string for the app.kubernetes.io/version label. */
export function imageVersion(ref: ImageReference): string {
  return ref.tag ?? ref.digest!.slice('sha256:'.length, 'sha256:'.length + 12);
}
