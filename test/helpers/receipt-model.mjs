// A team's Mongoose models for `imdiag query --populate`: receipts whose msgId refers to a Msg
// (registered here too, on its own collection), and a path that is not a ref.
import mongoose from 'mongoose';

const msgSchema = new mongoose.Schema({ topicId: String, body: String, sentAt: Date }, { collection: 'msgs' });
if (!mongoose.models.Msg) mongoose.model('Msg', msgSchema);

const receiptSchema = new mongoose.Schema(
  {
    userId: String,
    msgId: { type: mongoose.Schema.Types.ObjectId, ref: 'Msg' },
    readDateTime: Date,
  },
  { collection: 'receipts' },
);

export default mongoose.models.Receipt ?? mongoose.model('Receipt', receiptSchema);
