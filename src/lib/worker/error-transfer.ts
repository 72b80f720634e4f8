// Comlink's handler for errors thrown across the worker boundary, extended so an ExpertError arrives as an
// ExpertError with its code (Comlink's own keeps only message, name and stack): the page decides by code, not by
// matching message text. Both sides register it before their first call.
import * as Comlink from 'comlink';
import { ExpertError, isErrorCode, isExpertError } from '../errors.ts';

type Thrown = { value: unknown };
type Wire = { isError: boolean; value: unknown; code?: string };

export function carryErrorCodes(): void {
	const comlinkThrow = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<Thrown, Wire>;
	Comlink.transferHandlers.set('throw', {
		canHandle: comlinkThrow.canHandle,
		serialize(thrown: Thrown) {
			const [wire, transferables] = comlinkThrow.serialize(thrown);
			return [isExpertError(thrown.value) ? { ...wire, code: thrown.value.code } : wire, transferables];
		},
		deserialize(wire: Wire) {
			if (wire.isError && isErrorCode(wire.code))
				throw new ExpertError(wire.code, (wire.value as { message: string }).message);
			return comlinkThrow.deserialize(wire);
		}
	} satisfies Comlink.TransferHandler<Thrown, Wire>);
}
