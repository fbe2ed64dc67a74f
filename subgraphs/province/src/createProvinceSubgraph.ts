import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { ProvinceDefinition, RequestIdentity } from '../../../shared/src';
import { createLoaders } from './loaders/createLoaders';
import type { ProvinceContext, ProvinceRepositories, ProvinceServices } from './ProvinceContext';
import { renderProvinceSchema } from './renderProvinceSchema';
import {
  BookingRepository, CategoryRepository, InstrumentRepository, LabRepository, RecognitionRepository, TalentCardRepository,
} from './repositories';
import { createProvinceResolvers } from './resolvers/createProvinceResolvers';
import { BookingService } from './services/BookingService';
import { RecognitionCatalogService } from './services/RecognitionCatalogService';
import { TalentCardService } from './services/TalentCardService';

export interface ProvinceSubgraph {
  readonly schema: GraphQLSchema;
  /** Fresh per request: the loaders batch and cache only within one request. */
  createContext(identity: RequestIdentity): ProvinceContext;
}

/** The province's executable subgraph over its database, independent of HTTP (tests run it in-process). */
export function createProvinceSubgraph(province: ProvinceDefinition, partner: ProvinceDefinition, dataSource: DataSource): ProvinceSubgraph {
  const repositories: ProvinceRepositories = {
    instruments: new InstrumentRepository(dataSource),
    labs: new LabRepository(dataSource),
    categories: new CategoryRepository(dataSource),
    talentCards: new TalentCardRepository(dataSource),
    recognitions: new RecognitionRepository(dataSource),
    bookings: new BookingRepository(dataSource),
  };
  const services: ProvinceServices = {
    bookings: new BookingService(dataSource, province, repositories.bookings, repositories.instruments),
    talentCards: new TalentCardService(dataSource, province, repositories.talentCards),
    recognitions: new RecognitionCatalogService(dataSource, province, partner, repositories.recognitions),
  };
  return {
    // The array form: the object form of buildSubgraphSchema breaks across @apollo/subgraph versions.
    schema: buildSubgraphSchema([{ typeDefs: parse(renderProvinceSchema(province, partner)), resolvers: createProvinceResolvers(province, partner) }]),
    createContext: (identity) => ({ ...identity, province, partner, repositories, services, loaders: createLoaders(repositories) }),
  };
}
