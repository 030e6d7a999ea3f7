// Path ids: anything that is not one of our ids is simply not found (404), never a hint about format.
import { Injectable, PipeTransform } from '@nestjs/common';
import { NotFoundError } from '@vantage/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class EntityIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundError('resource');
    return value.toLowerCase();
  }
}
