import { Column, CreateDateColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The columns every workflow history row has (a booking's, a service request's): who took the step, by id and
 * by the display name their token gave then (all that the other party sees of staff), why, and when. Each
 * history's entity adds the record it belongs to and the status it moved to.
 */
export abstract class WorkflowEventColumns {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** Token subject of who made the change (a platform user id, or `client:<id>`). */
  @Column('varchar', { name: 'actor_id', length: 100 })
  actorId!: string;

  @Column('varchar', { name: 'actor_name', length: 200 })
  actorName!: string;

  @Column('varchar', { length: 500, nullable: true })
  note!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}

/** The actor columns of a step, from the viewer who takes it: never the subject for want of a name. */
export function actorOf(viewer: { subject: string; displayName: string | null }): Pick<WorkflowEventColumns, 'actorId' | 'actorName'> {
  return { actorId: viewer.subject, actorName: viewer.displayName ?? 'Unnamed user' };
}
