// tfjs-core alone does not register gradients; the training code needs them on every backend.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
