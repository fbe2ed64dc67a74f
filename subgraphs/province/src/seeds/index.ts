export { loadProvinceSeed, seedFileOf } from './loadProvinceSeed';
export { DEMO_SEEDS } from './demoSeeds';
export { seedProvince, seededId } from './seedProvince';
export type { ProvinceSeed, SeedInstrument, SeedLab, SeedRecognition, SeedTalentCard, SeedCategory } from './provinceSeedSchema';
