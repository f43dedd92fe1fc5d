import { Module } from '@nestjs/common';
import { SearchCustomersHandler } from './search-customers.query';
import { CustomerStatementHandler } from './customer-statement.query';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomersController } from './customers.controller';
import { GetCustomerHandler } from './get-customer.query';
import { GetCustomerAsOfHandler } from './get-customer-as-of.query';

/** GET /customers/{id} and the routes under it; each sub-resource is asked of its own feature's query. */
@Module({
  imports: [CqrsModule],
  controllers: [CustomersController],
  providers: [GetCustomerHandler, GetCustomerAsOfHandler, SearchCustomersHandler, CustomerStatementHandler],
})
export class CustomersModule {}
