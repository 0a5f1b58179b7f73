// A team's own Mongoose model, as `imdiag query --model` loads it: an index it would build, a getter.
import mongoose from 'mongoose';

const schema = new mongoose.Schema(
  {
    userId: { type: String, index: true },
    msgId: mongoose.Schema.Types.ObjectId,
    topicId: { type: String, get: (value) => value && value.toUpperCase() },
    readDateTime: Date,
  },
  { collection: 'readMsgs', autoIndex: true, autoCreate: true },
);

export default mongoose.model('ReadMsg', schema);
