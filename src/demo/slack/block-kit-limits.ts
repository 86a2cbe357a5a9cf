/**
 * The Block Kit limits Slack enforces, checked the way the fake Web API needs them: each broken
 * limit becomes one message in Slack's own format (`must be less than 51 items [json-pointer:/blocks]`),
 * so a test failure reads like the answer the real Slack would give.
 *
 * Only the limits written here are checked; anything else is accepted.
 */

/** Maximum blocks in a message (`chat.postMessage`, `chat.update`, response_url). */
export const MESSAGE_MAX_BLOCKS = 50;
/** Maximum blocks in a view (modals and App Home). */
export const VIEW_MAX_BLOCKS = 100;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `text` of a text object, or undefined when absent or not a string. */
function textOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.text === 'string' ? value.text : undefined;
}

class Checker {
  readonly problems: string[] = [];

  maxLength(value: string | undefined, max: number, pointer: string): void {
    if (value !== undefined && value.length > max) {
      this.problems.push(`must be less than ${max + 1} characters [json-pointer:${pointer}]`);
    }
  }

  maxItems(value: unknown, max: number, pointer: string): void {
    if (Array.isArray(value) && value.length > max) {
      this.problems.push(`must be less than ${max + 1} items [json-pointer:${pointer}]`);
    }
  }

  /** An interactive element: an `actions` element or a section accessory. */
  element(element: unknown, pointer: string): void {
    if (!isObject(element)) return;
    if (typeof element.action_id === 'string') this.maxLength(element.action_id, 255, `${pointer}/action_id`);
    if (element.type === 'button') {
      this.maxLength(textOf(element.text), 75, `${pointer}/text/text`);
      if (typeof element.value === 'string') this.maxLength(element.value, 2000, `${pointer}/value`);
    }
    if (isObject(element.confirm)) {
      this.maxLength(textOf(element.confirm.title), 100, `${pointer}/confirm/title/text`);
      this.maxLength(textOf(element.confirm.text), 300, `${pointer}/confirm/text/text`);
    }
  }

  /** An input block (modals): its label and hint, and a text input or a static select. */
  input(block: Json, pointer: string): void {
    if (textOf(block.label) === undefined)
      this.problems.push(`missing required field: label [json-pointer:${pointer}]`);
    this.maxLength(textOf(block.label), 2000, `${pointer}/label/text`);
    this.maxLength(textOf(block.hint), 2000, `${pointer}/hint/text`);
    const element = block.element;
    if (!isObject(element)) {
      this.problems.push(`missing required field: element [json-pointer:${pointer}]`);
      return;
    }
    const at = `${pointer}/element`;
    if (typeof element.action_id === 'string') this.maxLength(element.action_id, 255, `${at}/action_id`);
    this.maxLength(textOf(element.placeholder), 150, `${at}/placeholder/text`);
    if (element.type === 'plain_text_input' && typeof element.initial_value === 'string')
      this.maxLength(element.initial_value, 3000, `${at}/initial_value`);
    if (element.type === 'static_select') {
      if (!Array.isArray(element.options) || element.options.length === 0)
        this.problems.push(`must provide at least 1 items [json-pointer:${at}/options]`);
      this.maxItems(element.options, 100, `${at}/options`);
      if (Array.isArray(element.options))
        element.options.forEach((o, i) => {
          this.maxLength(textOf(isObject(o) ? o.text : undefined), 75, `${at}/options/${i}/text/text`);
          if (isObject(o) && typeof o.value === 'string')
            this.maxLength(o.value, 150, `${at}/options/${i}/value`);
        });
    }
  }

  block(block: unknown, pointer: string): void {
    if (!isObject(block) || typeof block.type !== 'string') {
      this.problems.push(`missing required field: type [json-pointer:${pointer}]`);
      return;
    }
    if (typeof block.block_id === 'string') this.maxLength(block.block_id, 255, `${pointer}/block_id`);
    switch (block.type) {
      case 'section':
        this.maxLength(textOf(block.text), 3000, `${pointer}/text/text`);
        this.maxItems(block.fields, 10, `${pointer}/fields`);
        if (Array.isArray(block.fields)) {
          block.fields.forEach((field, i) =>
            this.maxLength(textOf(field), 2000, `${pointer}/fields/${i}/text`),
          );
        }
        this.element(block.accessory, `${pointer}/accessory`);
        break;
      case 'header':
        this.maxLength(textOf(block.text), 150, `${pointer}/text/text`);
        break;
      case 'actions':
        this.maxItems(block.elements, 25, `${pointer}/elements`);
        if (Array.isArray(block.elements)) {
          block.elements.forEach((el, i) => this.element(el, `${pointer}/elements/${i}`));
        }
        break;
      case 'context':
        this.maxItems(block.elements, 10, `${pointer}/elements`);
        break;
      case 'input':
        this.input(block, pointer);
        break;
      default:
        break;
    }
  }
}

/**
 * Checks `blocks` against Slack's limits.
 *
 * @param blocks - the parsed `blocks` field (anything; a non-array is reported as a format problem)
 * @param maxBlocks - {@link MESSAGE_MAX_BLOCKS} or {@link VIEW_MAX_BLOCKS}
 * @param pointer - JSON pointer of the array, used in the messages (default `/blocks`)
 * @returns one Slack-style message per broken limit; empty when the blocks are acceptable
 */
export function checkBlocks(blocks: unknown, maxBlocks: number, pointer = '/blocks'): string[] {
  const checker = new Checker();
  if (!Array.isArray(blocks)) {
    checker.problems.push(`must be an array [json-pointer:${pointer}]`);
    return checker.problems;
  }
  checker.maxItems(blocks, maxBlocks, pointer);
  blocks.forEach((block, i) => checker.block(block, `${pointer}/${i}`));
  return checker.problems;
}

/**
 * A modal's own limits (`views.open`, `views.update`): its title (24), buttons (24), callback id
 * (255) and private metadata (3000); a modal with inputs must have a submit button.
 */
export function checkModal(view: Json): string[] {
  const checker = new Checker();
  if (textOf(view.title) === undefined)
    checker.problems.push('missing required field: title [json-pointer:/view/title]');
  checker.maxLength(textOf(view.title), 24, '/view/title/text');
  checker.maxLength(textOf(view.submit), 24, '/view/submit/text');
  checker.maxLength(textOf(view.close), 24, '/view/close/text');
  if (typeof view.callback_id === 'string') checker.maxLength(view.callback_id, 255, '/view/callback_id');
  if (typeof view.private_metadata === 'string')
    checker.maxLength(view.private_metadata, 3000, '/view/private_metadata');
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
  if (hasInput && view.submit === undefined)
    checker.problems.push('must provide submit when the view has input blocks [json-pointer:/view/submit]');
  return checker.problems;
}
