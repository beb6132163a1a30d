import { ObjectParam, Optional, Required, StringParam } from './validation.js';

/** Stripe's address hash, shared by customers and charges. */
export class AddressDto {
  @Optional() @StringParam(200) line1?: string | null;
  @Optional() @StringParam(200) line2?: string | null;
  @Optional() @StringParam(200) city?: string | null;
  @Optional() @StringParam(200) state?: string | null;
  @Optional() @StringParam(20) postal_code?: string | null;
  @Optional() @StringParam(2) country?: string | null;
}

export class ShippingDto {
  @Required() @ObjectParam(() => AddressDto) address: AddressDto;
  @Required() @StringParam(200) name: string;
  @Optional() @StringParam(40) phone?: string | null;
  @Optional() @StringParam(200) carrier?: string | null;
  @Optional() @StringParam(200) tracking_number?: string | null;
}

export interface Address {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
}

/** Every field present, null where not given: the shape `Stripe.Address` promises. */
export function toAddress(dto: AddressDto): Address {
  return {
    city: dto.city ?? null,
    country: dto.country ?? null,
    line1: dto.line1 ?? null,
    line2: dto.line2 ?? null,
    postal_code: dto.postal_code ?? null,
    state: dto.state ?? null,
  };
}

export function toShipping(dto: ShippingDto) {
  return {
    address: toAddress(dto.address),
    ...(dto.carrier !== undefined && { carrier: dto.carrier }),
    name: dto.name,
    phone: dto.phone ?? null,
    ...(dto.tracking_number !== undefined && { tracking_number: dto.tracking_number }),
  };
}
