import type { WebClient } from '@slack/web-api';
import type { Failure } from '../../core/failure.js';
import { formFailureView, loadingView } from './create-form-view.js';

/** Opens a command's form and shows a refusal in it: the slash command listener's part of forms. */
export interface FormOpener {
  /** `views.open` with the loading form; the view id the worker's answer will update. */
  open(triggerId: string): Promise<string>;
  /** Shows in the form why it will not be filled in. Never throws. */
  fail(viewId: string, failure: Failure): Promise<void>;
}

export function createFormOpener(deps: {
  client: Pick<WebClient, 'views'>;
  onError: (error: unknown) => void;
}): FormOpener {
  return {
    async open(triggerId) {
      const answer = await deps.client.views.open({ trigger_id: triggerId, view: loadingView() });
      const id = answer.view?.id;
      if (!id) throw new Error('views.open answered without a view id');
      return id;
    },
    async fail(viewId, failure) {
      await deps.client.views
        .update({ view_id: viewId, view: formFailureView(failure.message, failure.hint) })
        .then(() => undefined, deps.onError);
    },
  };
}
