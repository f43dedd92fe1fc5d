import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomersController } from './customers.controller';
import { GetCustomerHandler } from './get-customer.handler';
import { GetCustomerAsOfHandler } from './get-customer-as-of.handler';

/** GET /customers/{id} and the routes under it; each sub-resource is asked of its own feature's query. */
@Module({
  imports: [CqrsModule],
  controllers: [CustomersController],
  providers: [GetCustomerHandler, GetCustomerAsOfHandler],
})
export class CustomersModule {}
