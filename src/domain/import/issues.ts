// What is wrong with a document, each problem with the path of the field at
// fault inside the document (e.g. ["ports", "3", "network_id"]) and a
// message that names the object, so that every problem can be fixed at once.

export type IssueCode = 'INVALID' | 'NOT_FOUND' | 'CONFLICT' | 'EXHAUSTED';

export interface Issue {
  code: IssueCode;
  path: string[];
  message: string;
}

export class Issues {
  readonly list: Issue[] = [];

  add(code: IssueCode, path: string[], message: string): void {
    this.list.push({ code, path, message });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}
