import { Module } from '@nestjs/common';
import { ErasureService } from './erasure.service';
import { ErasuresController } from './erasures.controller';

/** /admin/erasures and the background runs. Ingest's side (redacting new webhooks) is ErasedCustomers, in IngestModule. */
@Module({
  controllers: [ErasuresController],
  providers: [ErasureService],
})
export class ErasureModule {}
