import type { ProvinceKey } from '../../shared/src';

/**
 * Words the generator draws from. Like the demo registries, an instrument's
 * name is a generic description and its model a separate field, so a model
 * keyword such as "novaseq" is spread evenly over the name order instead of
 * bunched in one stretch of it.
 */
export interface CategoryWords {
  readonly code: string;
  /** Generic English names with their Chinese names. */
  readonly names: readonly (readonly [string, string])[];
  /** Manufacturer and model pairs. */
  readonly models: readonly (readonly [string, string])[];
}

export const CATEGORY_WORDS: readonly CategoryWords[] = [
  {
    code: 'GENE_SEQUENCER',
    names: [['High-throughput gene sequencer', '高通量基因测序仪'], ['Benchtop gene sequencer', '台式基因测序仪'], ['Long-read sequencer', '长读长测序仪'], ['Nanopore sequencer', '纳米孔测序仪']],
    models: [['Illumina', 'NovaSeq 6000'], ['Illumina', 'NovaSeq X Plus'], ['Illumina', 'NextSeq 2000'], ['MGI Tech', 'DNBSEQ-T7'], ['Oxford Nanopore Technologies', 'PromethION 48'], ['Pacific Biosciences', 'Revio']],
  },
  {
    code: 'CRYO_EM',
    names: [['300 kV cryo-electron microscope', '300千伏冷冻电子显微镜'], ['200 kV cryo-electron microscope', '200千伏冷冻电子显微镜']],
    models: [['Thermo Fisher Scientific', 'Titan Krios G4'], ['Thermo Fisher Scientific', 'Glacios 2'], ['JEOL', 'CRYO ARM 300 II']],
  },
  {
    code: 'MASS_SPECTROMETER',
    names: [['High-resolution mass spectrometer', '高分辨质谱仪'], ['Triple quadrupole mass spectrometer', '三重四极杆质谱仪'], ['Q-TOF mass spectrometer', '四极杆飞行时间质谱仪']],
    models: [['Thermo Fisher Scientific', 'Orbitrap Exploris 480'], ['Bruker', 'timsTOF Pro 2'], ['SCIEX', 'ZenoTOF 7600'], ['Agilent', '6495C'], ['Waters', 'Xevo TQ-XS']],
  },
  {
    code: 'NMR',
    names: [['600 MHz NMR spectrometer', '600兆核磁共振波谱仪'], ['400 MHz NMR spectrometer', '400兆核磁共振波谱仪'], ['Solid-state NMR spectrometer', '固体核磁共振波谱仪']],
    models: [['Bruker', 'Avance NEO 600'], ['Bruker', 'Avance III HD 400'], ['JEOL', 'JNM-ECZ500R']],
  },
  {
    code: 'SUPERCOMPUTING',
    names: [['GPU compute node', 'GPU计算节点'], ['CPU compute partition', 'CPU计算分区'], ['Large-memory compute node', '大内存计算节点']],
    models: [['Sugon', 'X7840 H0'], ['Inspur', 'NF5688M6'], ['Huawei', 'Atlas 800']],
  },
  {
    code: 'SPATIAL_OMICS',
    names: [['Spatial transcriptomics platform', '空间转录组平台'], ['Spatiotemporal omics platform', '时空组学平台']],
    models: [['10x Genomics', 'Visium HD'], ['BGI', 'Stereo-seq'], ['NanoString', 'CosMx SMI']],
  },
  {
    code: 'CONFOCAL_MICROSCOPE',
    names: [['Confocal laser scanning microscope', '激光扫描共聚焦显微镜'], ['Super-resolution confocal microscope', '超分辨共聚焦显微镜']],
    models: [['Zeiss', 'LSM 980'], ['Leica', 'STELLARIS 8'], ['Nikon', 'AX R'], ['Evident', 'FV4000']],
  },
  {
    code: 'XRD',
    names: [['Powder X-ray diffractometer', '粉末X射线衍射仪'], ['Single-crystal X-ray diffractometer', '单晶X射线衍射仪']],
    models: [['Bruker', 'D8 Advance'], ['Rigaku', 'SmartLab'], ['Malvern Panalytical', 'Empyrean']],
  },
  {
    code: 'FLOW_CYTOMETER',
    names: [['Flow cytometer', '流式细胞仪'], ['Spectral flow cytometer', '全光谱流式细胞仪'], ['Cell sorter', '流式细胞分选仪']],
    models: [['BD Biosciences', 'FACSymphony A5'], ['Beckman Coulter', 'CytoFLEX LX'], ['Cytek', 'Aurora']],
  },
  {
    code: 'SEM',
    names: [['Field-emission scanning electron microscope', '场发射扫描电子显微镜'], ['Scanning electron microscope', '扫描电子显微镜']],
    models: [['Zeiss', 'GeminiSEM 560'], ['Hitachi', 'SU8600'], ['Thermo Fisher Scientific', 'Apreo 2']],
  },
  {
    code: 'TEM',
    names: [['200 kV transmission electron microscope', '200千伏透射电子显微镜'], ['Spherical-aberration-corrected TEM', '球差校正透射电子显微镜']],
    models: [['JEOL', 'JEM-F200'], ['Thermo Fisher Scientific', 'Talos F200X'], ['Hitachi', 'HF5000']],
  },
];

export interface ProvinceWords {
  readonly institutions: readonly string[];
  readonly cities: readonly string[];
  readonly labTopics: readonly (readonly [string, string])[];
}

const LAB_TOPICS: readonly (readonly [string, string])[] = [
  ['Biotherapy', '生物治疗'], ['Structural Biology', '结构生物学'], ['Advanced Materials', '先进材料'], ['Energy Storage', '储能'],
  ['Rail Transit Safety', '轨道交通安全'], ['Precision Medicine', '精准医学'], ['Green Chemistry', '绿色化学'], ['Intelligent Sensing', '智能感知'],
  ['Mountain Hazards', '山地灾害'], ['Resource Insects', '资源昆虫'], ['Trauma Medicine', '创伤医学'], ['Magnesium Alloys', '镁合金'],
  ['Microelectronics', '微电子'], ['Computational Science', '计算科学'], ['Crop Genetics', '作物遗传'], ['Environmental Health', '环境健康'],
];

export const PROVINCE_WORDS: Readonly<Record<ProvinceKey, ProvinceWords>> = {
  sichuan: {
    institutions: [
      'Sichuan University', 'West China Hospital, Sichuan University', 'University of Electronic Science and Technology of China',
      'Southwest Jiaotong University', 'Chengdu Institute of Organic Chemistry, Chinese Academy of Sciences',
      'Chengdu Institute of Biology, Chinese Academy of Sciences', 'Southwest University of Science and Technology',
      'National Supercomputing Center in Chengdu', 'Tianfu Jincheng Laboratory', 'Tianfu Yongxing Laboratory',
      'Sichuan Agricultural University', 'Chengdu University of Technology', 'Southwest Petroleum University', 'Sichuan Normal University',
    ],
    cities: ['Chengdu', 'Mianyang', 'Deyang', 'Yibin', 'Leshan', 'Nanchong'],
    labTopics: LAB_TOPICS,
  },
  chongqing: {
    institutions: [
      'Chongqing University', 'Southwest University', 'Chongqing Medical University', 'Army Medical University',
      'Chongqing Institute of Green and Intelligent Technology, Chinese Academy of Sciences', 'Jinfeng Laboratory',
      'Chongqing University of Posts and Telecommunications', 'Chongqing Jiaotong University', 'Chongqing Normal University',
      'Mingyue Lake Laboratory', 'Guangyang Bay Laboratory', 'Chongqing Technology and Business University',
    ],
    cities: ['Chongqing', 'Yongchuan, Chongqing', 'Beibei, Chongqing', 'Shapingba, Chongqing', 'Liangjiang, Chongqing'],
    labTopics: LAB_TOPICS,
  },
};

export const SURNAMES = ['Li', 'Wang', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Hu', 'Zhu', 'Gao', 'He'];
export const GIVEN_NAMES = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Lei', 'Yang', 'Jun', 'Tao', 'Ming', 'Hui', 'Xin', 'Yu', 'Hao', 'Lin', 'Qiang'];
export const FIELDS = ['Biomedicine', 'Materials science', 'Electronic information', 'Energy and environment', 'Agriculture', 'Advanced manufacturing'];
export const PURPOSES = [
  'Whole-genome sequencing of clinical isolates', 'Single-particle cryo-EM data collection', 'Proteomics of tumour biopsies',
  'Crystal structure determination', 'Phase analysis of battery cathode powders', 'Immunophenotyping panel run',
  'Surface morphology of alloy fracture', 'Spatial transcriptomics of brain sections', 'Molecular dynamics production run',
];
