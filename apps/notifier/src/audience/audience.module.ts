import { Module } from '@nestjs/common';
import { OrganisationStore } from './organisation-store';

/** The bottom of the notifier: who is in the programme, and who wants what. Everything else reads it. */
@Module({ providers: [OrganisationStore], exports: [OrganisationStore] })
export class AudienceModule {}
