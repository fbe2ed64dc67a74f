import type { DataSource, Repository } from 'typeorm';
import { RecognitionEntity } from '../entities/RecognitionEntity';

/** The recognition catalogue: what this province grants to holders of the partner's card. */
export class RecognitionRepository {
  private readonly catalog: Repository<RecognitionEntity>;

  constructor(dataSource: DataSource) {
    this.catalog = dataSource.getRepository(RecognitionEntity);
  }

  list(): Promise<RecognitionEntity[]> {
    return this.catalog.find({ order: { code: 'ASC' } });
  }
}
