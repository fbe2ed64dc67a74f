import type { RecognitionEntity } from './RecognitionEntity';
import type { RecognitionRepository } from './RecognitionRepository';

/** The catalogue is small and the same for every card in a request: read it once per request. */
export function createRecognitionLoaders(recognitions: RecognitionRepository) {
  let catalog: Promise<RecognitionEntity[]> | undefined;
  return {
    recognitionCatalog: () => (catalog ??= recognitions.list()),
  };
}

export type RecognitionLoaders = ReturnType<typeof createRecognitionLoaders>;
