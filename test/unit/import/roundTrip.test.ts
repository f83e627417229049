// Import then export gives the document back, for every field the model keeps.
import { toNeutron } from '../../../src/domain/import/toNeutron.js';
import { modeledDocument } from '../../support/neutronFields.js';
import { loadFixture, plan } from './helpers.js';

describe('toNeutron', () => {
  it('gives back the imported fixture', () => {
    const doc = loadFixture();
    expect(modeledDocument(toNeutron(plan(doc).cloud))).toEqual(modeledDocument(doc));
  });

  it('gives a document that imports to the same cloud', () => {
    const first = plan(loadFixture()).cloud;
    const second = plan(toNeutron(first)).cloud;
    expect(toNeutron(second)).toEqual(toNeutron(first));
  });
});
