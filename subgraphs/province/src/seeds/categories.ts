// Instrument categories shared by the Sichuan and Chongqing seeds (same codes and names in both registries).
import type { SeedCategory } from './types';

export const INSTRUMENT_CATEGORIES: SeedCategory[] = [
  { code: 'GENE_SEQUENCER', nameEn: 'Gene sequencer', nameZh: '基因测序仪' },
  { code: 'CRYO_EM', nameEn: 'Cryo-electron microscope', nameZh: '冷冻电子显微镜' },
  { code: 'MASS_SPECTROMETER', nameEn: 'Mass spectrometer', nameZh: '质谱仪' },
  { code: 'NMR', nameEn: 'NMR spectrometer', nameZh: '核磁共振波谱仪' },
  { code: 'SUPERCOMPUTING', nameEn: 'Supercomputing node', nameZh: '超算节点' },
  { code: 'SPATIAL_OMICS', nameEn: 'Spatial omics platform', nameZh: '时空组学平台' },
  { code: 'CONFOCAL_MICROSCOPE', nameEn: 'Confocal laser scanning microscope', nameZh: '激光共聚焦显微镜' },
  { code: 'XRD', nameEn: 'X-ray diffractometer', nameZh: 'X射线衍射仪' },
  { code: 'FLOW_CYTOMETER', nameEn: 'Flow cytometer', nameZh: '流式细胞仪' },
  { code: 'SEM', nameEn: 'Scanning electron microscope', nameZh: '扫描电子显微镜' },
  { code: 'TEM', nameEn: 'Transmission electron microscope', nameZh: '透射电子显微镜' },
];
