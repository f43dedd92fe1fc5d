import { Enum } from '../http/openapi-props';

export class LiveDto {
  @Enum(['ok']) status!: string;
}
