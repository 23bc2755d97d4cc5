/** The one door from the renderer to the typed API (contract/). Nothing else crosses. */
export * from '../../contract';
